"""bantin.enrich"""
