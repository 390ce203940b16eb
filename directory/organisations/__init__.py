"""The directory itself: organisations, their services, sites, phones and contacts."""
