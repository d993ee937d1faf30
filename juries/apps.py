from django.apps import AppConfig


class JuriesConfig(AppConfig):
    name = "juries"
