"""bantin.store"""
