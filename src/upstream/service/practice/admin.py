from django.contrib import admin

from upstream.service.practice.models import TeamPractice

admin.site.register(TeamPractice)
