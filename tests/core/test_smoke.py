from zmconsole.core import inventory, issuance, settings


def test_issue_and_list(store, unlocked, make_csr):
    issued = issuance.issue_device(store, unlocked, "ZM-001", csr=make_csr("ZM-001"))
    rows = inventory.list_devices(store, settings.load(store))
    assert [(r.device_id, r.serial, r.status) for r in rows] == [("ZM-001", issued.serial, "active")]
