from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from gaoxin.accounts.models import Department, User, Zone
from gaoxin.core.roles import Role

PASSWORD = "test-pass-123"


class ZoneFactory(DjangoModelFactory):
    class Meta:
        model = Zone
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"zone{n}")
    name = factory.Sequence(lambda n: f"测试园区{n}")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"部门{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.OFFICER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def zones(self, create: bool, extracted: list[Zone] | None, **kwargs: object) -> None:
        if create and extracted:
            self.zones.set(extracted)
        self.save()
