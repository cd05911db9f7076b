"""The legacy Flask app that examples/flask-in-axum serves behind an axum Router.

Its routes move to Rust one by one; until then axum sends them here. Unchanged Flask:
`url_for` builds links that carry the prefix the app is mounted under.
"""

from flask import Flask, redirect, url_for

app = Flask(__name__)


@app.get("/")
def index():
    return f'<a href="{url_for("hello", name="World")}">Say hello</a>'


@app.get("/hello/<name>")
def hello(name):
    return f"Hello {name}, from Flask!"


@app.get("/old")
def old():
    # A page that has moved to Rust: the redirect goes to the axum route.
    return redirect("/rust/hello")
