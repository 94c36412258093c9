"""Strip household codes from realisation references (issue 11).

Placing a status holder wrote ``plaatsing N (HH-...)`` into the realisation's reference, which
showed a household's pseudonymous code (personal data) to everyone who reads the realisation,
without an access-log entry. Housing now writes ``plaatsing N``; this removes the ``(HH-...)``
part from the references already stored. Not reversible (the codes are not kept anywhere else
in the reference, by design); the household stays linked through the placement.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import migrations

HOUSEHOLD_CODE = re.compile(r"\s*\(HH-[^()]*\)")


def strip_codes(apps: Any, schema_editor: Any) -> None:
    Realisation = apps.get_model("quotas", "Realisation")
    changed = []
    for realisation in Realisation.objects.filter(reference__contains="(HH-").only("reference"):
        realisation.reference = HOUSEHOLD_CODE.sub("", realisation.reference).strip()
        changed.append(realisation)
    Realisation.objects.bulk_update(changed, ["reference"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("quotas", "0002_adjustment")]

    operations = [migrations.RunPython(strip_codes, migrations.RunPython.noop)]
