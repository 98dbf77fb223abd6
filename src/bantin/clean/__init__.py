"""bantin.clean"""
