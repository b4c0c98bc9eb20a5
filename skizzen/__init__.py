"""skizzen."""
