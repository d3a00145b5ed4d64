"""Logs in to a Veritas server with Mastodon.py (a client none of us wrote) and prints the token.

Usage: python3 mastodon_login.py BASE_URL LOGIN PASSWORD
Prints the access token, then the username verify_credentials returns.
"""
import sys

from mastodon import Mastodon

base, login, password = sys.argv[1:4]
client_id, client_secret = Mastodon.create_app("veritas-tests", api_base_url=base, scopes=["read"])
app = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
token = app.log_in(login, password, scopes=["read"])
me = Mastodon(access_token=token, api_base_url=base).account_verify_credentials()
print(token)
print(me["username"])
