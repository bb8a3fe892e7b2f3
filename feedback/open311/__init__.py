"""Open311 GeoReport v2: the interface city platforms and apps use to file and follow cases."""
