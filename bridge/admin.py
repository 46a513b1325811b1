# The admin's staff rules live with the rest of staff sign-in.
from .staff import admin as staff_admin  # noqa: F401 - registers the admin classes
