"""A tiny web app, audited only through its Dockerfile."""
from flask import Flask

app = Flask(__name__)


@app.get("/healthz")
def health():
    return "ok"
