"""Unit tests of the reference device agent (zmdevice) against small local servers."""
