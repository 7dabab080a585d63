"""The Jinja2 filters write what the Django templates' filters write."""

import pytest
from django.template.defaultfilters import filesizeformat

from dossiers.jinja_env import filesize


@pytest.mark.parametrize(
    "size",
    [
        0,
        1,
        512,
        1023,
        1024,
        1536,
        600_009,
        1_048_575,
        1_048_576,
        5_000_000,
        3_600_000_000,
        3 * 2**40,
        5 * 2**50,
    ],
)
def test_filesize_writes_what_filesizeformat_writes(size):
    assert filesize(size) == str(filesizeformat(size))
