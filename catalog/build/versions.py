"""The one place where SDK versions are pinned. Bump here, run the build, review the diff."""

NODE_LATEST = "23.1.0"
PYTHON_LATEST = "16.1.0"

# Older releases that real apps pin; their method names are unioned into the catalog.
NODE_OLDER = ("8.222.0", "10.17.0", "12.18.0", "14.25.0", "16.12.0", "18.5.0", "20.4.1")
PYTHON_OLDER = ("3.5.0", "5.5.0", "7.14.0", "10.12.0", "12.5.1")

# stripe-python has typed fields since 7.1; expandable fields are the union over these.
PYTHON_TYPED = ("7.14.0", "10.12.0", "12.5.1", PYTHON_LATEST)
# Older stripe-node typings (API 2020-08-27, 2022-08-01, 2022-11-15) add the expandable fields
# Stripe removed before stripe-python had types (`charge.dispute`, `charge.invoice`).
NODE_TYPED = ("8.222.0", "10.17.0", "12.18.0")

NODE_ALL = NODE_OLDER + (NODE_LATEST,)
PYTHON_ALL = PYTHON_OLDER + (PYTHON_LATEST,)
