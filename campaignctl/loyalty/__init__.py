"""Loyalty selection: import a purchases export, select members, issue and hand over vouchers.

The flow: :func:`~campaignctl.loyalty.importer.import_purchases` streams the
client's CSV export into the state database; :func:`~campaignctl.loyalty.selection.select_members`
applies the spec's ``criteria``; :func:`~campaignctl.loyalty.vouchers.issue_vouchers`
claims the reward's stock and gives each selected member a voucher code;
:func:`~campaignctl.loyalty.vouchers.hand_over` marks the gift handed over at the
till or by courier; the site's loyalty form asks for delivery
(:mod:`campaignctl.loyalty.delivery`).
"""
