#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accelerator.settings")
    if sys.argv[1:2] in (["makemigrations"], ["makemessages"]):
        # Development commands that write source files and never serve or sign anything: they
        # run with the development defaults, so they work on a checkout with no environment.
        # Everything else keeps refusing to start without SECRET_KEY when DEBUG is off.
        os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
