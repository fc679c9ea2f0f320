import pytest

from loop_support import write_calc


@pytest.fixture
def workspace(tmp_path):
    """A copy of the calc project: `add` is wrong, `mul` right, a test for each."""
    return write_calc(tmp_path)
