"""The kiosk web app: one question per page, stored locally first."""
