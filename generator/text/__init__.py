"""Text from strangers made safe: decoding, escaping, sanitising, slugs. Imports nothing else of Almanac."""
