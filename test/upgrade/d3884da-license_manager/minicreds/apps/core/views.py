import os

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from minicreds.apps.core.models import Note


def health(request):
    """Answers 200 once the database answers, as the IDAs' health views do."""
    with connection.cursor() as cursor:
        cursor.execute('SELECT 1')
    return JsonResponse({'status': 'OK'})


def platform(request):
    """Shows one value taken from the YAML config, so a test can see the config loaded."""
    return JsonResponse({'platform_name': settings.PLATFORM_NAME, 'pid': os.getpid()})


@api_view(['POST'])
@authentication_classes([])
@permission_classes([AllowAny])
def roundtrip(request):
    """Writes a database row and a cache key, then reads both back."""
    text = str(request.data.get('text', ''))
    note = Note.objects.create(text=text)
    cache.set(f'note-{note.pk}', text, 300)
    return Response({
        'id': note.pk,
        'db': Note.objects.get(pk=note.pk).text,
        'cache': cache.get(f'note-{note.pk}'),
        'cache_backend': settings.CACHES['default']['BACKEND'],
        'greeting': _('Hello from minicreds'),
    })
