"""People verified without an account keep no rows of their own: their codes are
``accounts.OneTimeCode`` rows (keyed hashes only), and being verified is a state of the
session (``selectors.verified_member``, ``selectors.verified_mobile_hash``). Features that
keep an identity for later checks (one vote per person) store
``accounts.keyed_hashes.identity_hash`` of it, never the number."""
