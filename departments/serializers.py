from rest_framework import serializers

from departments.models import Organisation, User


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "kind", "credit_code", "tier"]


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind"]


class UserRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name"]


class MeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "organisation",
            "organisation_role",
            "representative_capacity",
            "roles",
        ]

    def get_roles(self, user) -> list[str]:
        flags = {
            "coordinator": user.is_coordinator,
            "enterprise_user": user.is_enterprise_user,
            "department_officer": user.is_department_officer,
            "representative": user.is_representative,
            "leader": user.is_leader and bool(user.organisation_id),
            "administrator": user.is_staff,
        }
        return [role for role, held in flags.items() if held]


class SignInSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    device = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="A name for this device or client, shown in the token list of the admin; "
        "the User-Agent when left out.",
    )


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Shown this once: only its digest is stored.")
    expires_at = serializers.DateTimeField()
