"""First-run and every-run setup after migrate: seeds, roles, the administrator, demo data."""

import os
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand

from shoal.org import demo
from shoal.org.models import User
from shoal.org.services import admin_create_first, role_sync_defaults
from shoal.system.services import dictionary_seed_defaults

DEMO_PASSWORD_FILE = settings.VAR_DIR / "demo-password.txt"


class Command(BaseCommand):
    help = "Seed the dictionary and roles; on first run create the administrator and the demo organisation."

    def add_arguments(self, parser):
        parser.add_argument("--reset-demo", action="store_true", help="Delete and recreate the demo data.")

    def handle(self, *args, reset_demo: bool = False, **options):
        dictionary_seed_defaults()
        role_sync_defaults()
        first_run = not User.objects.exists()
        created = admin_create_first(password=os.environ.get("SHOAL_ADMIN_PASSWORD") or None)
        if created:
            _admin, password = created
            self.stdout.write(self.style.SUCCESS("管理员账号 / Administrator: admin"))
            if not os.environ.get("SHOAL_ADMIN_PASSWORD"):
                self.stdout.write(self.style.WARNING(f"初始密码 / Initial password (shown once): {password}"))
            self.stdout.write("首次登录需修改密码 / You will be asked to change it at first sign-in.")
        if (first_run and settings.SHOAL_DEMO) or reset_demo:
            self._demo(reset=reset_demo)

    def _demo(self, *, reset: bool) -> None:
        password = os.environ.get("SHOAL_DEMO_PASSWORD") or secrets.token_urlsafe(9)
        if reset:
            from shoal.core.demo import demo_extras_delete

            demo_extras_delete()
            demo.demo_org_delete()
        demo.demo_org_create(password=password)
        from shoal.core.demo import demo_extras_create

        demo_extras_create()
        DEMO_PASSWORD_FILE.write_text(password + "\n")
        DEMO_PASSWORD_FILE.chmod(0o600)
        names = ", ".join(f"{u[0]} ({u[1]})" for u in demo.USERS)
        self.stdout.write(self.style.SUCCESS(f"演示账号 / Demo users: {names}"))
        self.stdout.write(f"演示密码 / Demo password: {password}  (saved in {DEMO_PASSWORD_FILE})")
