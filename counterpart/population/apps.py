from django.apps import AppConfig


class PopulationConfig(AppConfig):
    """The counterpart of the national population database (CSDLQG về dân cư)."""

    name = "counterpart.population"
    label = "counterpart_population"
