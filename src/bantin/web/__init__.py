"""bantin.web"""
