"""bantin.sources"""
