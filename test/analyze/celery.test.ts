import { describe, expect, it } from 'vitest';
import { detectCeleryApp } from '../../src/analyze/celery.js';
import { PythonFiles } from '../../src/analyze/python-files.js';
import { MemoryReader } from '../../src/reader/memory-reader.js';

const APP = 'from celery import Celery\n\napp = Celery("svc")\napp.autodiscover_tasks()\n';

describe('detectCeleryApp', () => {
  it.each<{ shape: string; files: Record<string, string>; value: string | null; source: string | null }>([
    { shape: 'svc/celery.py', files: { 'svc/celery.py': APP }, value: 'svc.celery:app', source: 'svc/celery.py:3' },
    {
      shape: 'celery_app.py with celery.Celery and another name',
      files: { 'svc/celery_app.py': 'import celery\n\nworker_app = celery.Celery("svc")\n' },
      value: 'svc.celery_app:worker_app',
      source: 'svc/celery_app.py:3',
    },
    {
      shape: 'a celery/ package',
      files: { 'svc/celery/__init__.py': APP },
      value: 'svc.celery:app',
      source: 'svc/celery/__init__.py:3',
    },
    {
      shape: 'the package itself',
      files: { 'svc/__init__.py': 'from celery import Celery\nAPP = Celery()\n' },
      value: 'svc:APP',
      source: 'svc/__init__.py:2',
    },
    {
      shape: 'celery.py before an __init__ that imports it',
      files: { 'svc/__init__.py': 'from .celery import app as celery_app\n', 'svc/celery.py': APP },
      value: 'svc.celery:app',
      source: 'svc/celery.py:3',
    },
    { shape: 'no Celery app', files: { 'svc/__init__.py': '' }, value: null, source: null },
    {
      shape: 'an app made only under a condition',
      files: { 'svc/celery.py': 'from celery import Celery\nif DEBUG:\n    app = Celery()\n' },
      value: null,
      source: null,
    },
  ])('finds $shape', ({ files, value, source }) => {
    const reader = new MemoryReader(files);
    expect(detectCeleryApp(new PythonFiles(reader), 'svc')).toMatchObject({ value, source });
  });
});
