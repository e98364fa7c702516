"""Reorganisations (DOMAIN.md §9, issue 16): the one home of the feature. A newcomer who
searches "reorganisation" starts here.

- ``record.py``: recording a merger, split, renaming, dissolution or move as a draft
  (``reorganisation_record``, ``reorganisation_delete``), the organisations' side of applying
  it (``reorganisation_mark_applied``: ending, renaming, moving them), who may
  (``require_reorganiser`` over ``orgs.rules.can_reorganise``), the kinds that move work;
- ``plan.py``: the transfer plan and its application (``transfer_plan_build``,
  ``transfer_plan_set``, ``default_holder``, ``reorganisation_apply``), all or nothing;
- ``forms.py``, ``views.py``: the office's pages (``/co-quan/sap-xep/``), their templates in
  ``templates/reorganisations/``;
- tests: ``assignments/tests/test_reorganisation.py`` (services, the holder property),
  ``test_reorganisation_pages.py`` (the pages), ``test_transfer_atomic.py``,
  ``e2e/test_reorganisation.py`` (the browser).

What it leaves elsewhere, and why: the rows are where their migrations are
(``orgs.models.Reorganisation`` / ``ReorgPart``, ``assignments.models.TransferItem`` /
``LeadChange``); what a recorded change means when organisations are read stays with them
(``orgs.selectors``: in force on a date, lineage; ``orgs.rules.can_reorganise``, also asked by
the menu), and what it means for a task afterwards stays with tasks (``assignments/holders.py``:
the holder on a date; ``namedsets.moving_q``: the work that moves). ``orgs`` may import no other
domain app (a contract in pyproject.toml), so the feature, which must move tasks, lives here,
above both; nothing in ``orgs`` writes a reorganisation.
"""
