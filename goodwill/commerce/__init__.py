"""Purchases and stays, and the customer journey stage computed from them."""
