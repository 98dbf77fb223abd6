"""bantin.dedup"""
