from rest_framework import serializers

from cases.models import Category


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "accept_days",
            "convene_days",
            "rules_days",
            "confirm_days",
        ]
