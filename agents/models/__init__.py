"""The model layer: every call goes through litellm (client.py), local and scripted models enter
by litellm's custom-provider door. It knows nothing of source code, roles or the loop."""

import os

# Set once, here, because every module that imports litellm lives in this package and Python runs
# this file first: without it, `import litellm` fetches the model price map from the network
# (minutes of retries offline). setdefault keeps a value the user chose.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
