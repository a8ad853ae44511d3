"""Batch verbs (API.md, Writes): each id settles on its own; the answer lists both outcomes."""

from dataclasses import dataclass, field

from rest_framework import serializers

from shoal.core.errors import ShoalError


@dataclass
class BatchResult:
    succeeded: list[int] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)

    def ok(self, pk: int) -> None:
        self.succeeded.append(pk)

    def fail(self, pk: int, error: ShoalError) -> None:
        self.failed.append({"id": pk, "code": error.code, "message": str(error.message)})

    def as_dict(self) -> dict:
        return {"succeeded": self.succeeded, "failed": self.failed}


class BatchFailureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()


class BatchResultSerializer(serializers.Serializer):
    succeeded = serializers.ListField(child=serializers.IntegerField())
    failed = BatchFailureSerializer(many=True)


class IdsSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=1000)
