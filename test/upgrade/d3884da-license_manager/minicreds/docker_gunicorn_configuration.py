"""
gunicorn configuration file: https://docs.gunicorn.org/en/stable/settings.html
"""
bind = "0.0.0.0:18150"
timeout = 300
max_requests = 1000
workers = 2
