"""Imported by the fork server when a build will make many pages (workers.start_fork_server): jieba's
dictionary, which Material's search plugin segments Chinese with, loaded once (~1 s) beside the check and
inherited by every fresh worker, rather than loaded in each of them."""

from .site import preload_jieba

preload_jieba()
