"""What an organisation can offer as external expertise at case meetings, and its experts."""
