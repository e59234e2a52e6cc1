"""What every test job shares: one Hypothesis profile for all property tests.

No deadline: on a loaded 2-core machine a slow example is not a failure, and a flaky
deadline hid real findings behind noise. Examples stay random (a fresh run may find what
no earlier run did); a failing example found once is kept in its test with @example.
"""

from hypothesis import HealthCheck, settings

settings.register_profile("cchc", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.load_profile("cchc")
