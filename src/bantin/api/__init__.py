"""bantin.api"""
