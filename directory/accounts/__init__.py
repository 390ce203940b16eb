"""People who sign in: admins, facilitators and organisation editors."""
