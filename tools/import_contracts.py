"""An import-linter contract: apps use each other only through services and selectors.

``onderdak.apps.<a>`` may import anything of its own, but of another app ``<b>`` only
``onderdak.apps.<b>.services`` (writes), ``.selectors`` (scoped, purpose-logged reads) or ``.demo``
(made-up seed data, for the demo command): those
modules are an app's public API (HackSoft / Open Forms style). Only ``<a>.models`` (and its
migrations) may import ``<b>.models``, where a foreign key names another app's model.
Tests and demo seeds (``tests``, ``demo``) may build fixtures from any app's models; imports under
``TYPE_CHECKING`` (type hints only) are not counted. Configured in pyproject.toml.
"""

from __future__ import annotations

from typing import Any

from importlinter import Contract, ContractCheck, fields, output

PUBLIC = frozenset({"services", "selectors", "demo"})
#: Modules of an app that may name another app's models (foreign keys).
MODEL_IMPORTERS = frozenset({"models", "migrations", "tests", "demo"})


class AppBoundaryContract(Contract):
    type_name = "app_boundaries"

    apps_package = fields.StringField()

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        root = str(self.apps_package)
        prefix = root + "."
        violations: list[dict[str, Any]] = []
        for importer in sorted(m for m in graph.modules if m.startswith(prefix)):
            importer_app = importer[len(prefix) :].split(".")[0]
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                if not imported.startswith(prefix):
                    continue
                parts = imported[len(prefix) :].split(".")
                if parts[0] == importer_app:
                    continue
                if len(parts) >= 2 and parts[1] in PUBLIC:
                    continue
                importer_part = importer[len(prefix) :].split(".")[1:2]
                if (
                    len(parts) >= 2
                    and parts[1] == "models"
                    and importer_part
                    and importer_part[0] in MODEL_IMPORTERS
                ):
                    continue
                lines = [
                    d["line_number"]
                    for d in graph.get_import_details(importer=importer, imported=imported)
                ]
                violations.append({"importer": importer, "imported": imported, "lines": lines})
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for violation in check.metadata["violations"]:
            lines = ", ".join(str(n) for n in violation["lines"])
            output.print_error(
                f"{violation['importer']} imports {violation['imported']} (l. {lines}); "
                "use that app's services or selectors instead (only models may name models)."
            )
            output.new_line()
