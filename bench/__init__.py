"""`make bench`: the hot paths of the API measured against Django's own floor, in one run."""
