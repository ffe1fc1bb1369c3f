"""Razorpay as a Trackify payment gateway plugin (entry point ``razorpay``)."""

__version__ = "1.0.0"
