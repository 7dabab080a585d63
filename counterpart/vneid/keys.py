"""The counterpart VNeID's signing key (RS256 for ID tokens): generated once into the data
directory and read from there afterwards, so a restart on the same directory keeps the key the
portal may have cached with the provider's JWKS. No Django import: settings.py reads it."""

import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

KEY_NAME = "vneid-oidc-rsa.pem"


def signing_key(data_dir: Path) -> str:
    """The PEM of the RSA private key in ``data_dir``, made on first use. Written to a temporary
    file (mode 0600) and linked into place: two processes starting together agree on one key,
    and neither reads a half-written file."""
    path = Path(data_dir) / KEY_NAME
    if not path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".vneid-key-")
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process linked its key first: use that one
        finally:
            os.unlink(tmp)
    return path.read_text()
