import pytest
from rest_framework.test import APIClient

from shoal.org.models import DepartmentMove, User
from shoal.org.tests.factories import DepartmentFactory, UserFactory, role

pytestmark = pytest.mark.django_db
PASSWORD = "Secret-pass-2026"


def login(client, username, password=PASSWORD):
    return client.post("/api/v1/auth/login/", {"username": username, "password": password}, format="json")


# ---------------------------------------------------------------- sign-in (ORG-3)


def test_user_signs_in_with_username_or_mobile_and_signs_out(cast):
    cast["owner"].mobile = "13911112222"
    cast["owner"].save()
    client = APIClient()
    assert login(client, "owner").status_code == 200
    assert client.get("/api/v1/auth/me/").json()["username"] == "owner"
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get("/api/v1/auth/me/").status_code == 401
    response = login(client, "13911112222")
    assert response.status_code == 200
    assert response.json()["username"] == "owner"


def test_wrong_password_is_400_with_remaining_attempts_in_chinese(cast):
    response = APIClient().post(
        "/api/v1/auth/login/", {"username": "owner", "password": "nope"}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid_credentials"
    assert "4" in body["message"] and "密码" in body["message"]


def test_repeated_failures_lock_the_account_even_with_the_right_password(cast, settings):
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "owner", "wrong")
    response = login(client, "owner")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "account_locked"


def test_deactivated_user_cannot_sign_in(cast):
    cast["owner"].is_active = False
    cast["owner"].save()
    response = login(APIClient(), "owner")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "account_inactive"


def test_forced_password_change_blocks_everything_but_me_logout_and_password(cast):
    cast["owner"].must_change_password = True
    cast["owner"].save()
    client = APIClient()
    assert login(client, "owner").status_code == 200
    blocked = client.get("/api/v1/users/")
    assert blocked.status_code == 403
    assert blocked.json()["error"]["code"] == "password_change_required"
    assert client.get("/api/v1/auth/me/").json()["must_change_password"] is True
    weak = client.post("/api/v1/auth/password/", {"old_password": PASSWORD, "new_password": "123"}, format="json")
    assert weak.status_code == 400
    assert "new_password" in weak.json()["error"]["fields"]
    changed = client.post(
        "/api/v1/auth/password/", {"old_password": PASSWORD, "new_password": "Brand-new-2026!"}, format="json"
    )
    assert changed.status_code == 204
    assert client.get("/api/v1/users/").status_code == 200  # still signed in after the change


def test_password_change_with_wrong_old_password_is_a_field_error(cast, client_for):
    response = client_for(cast["owner"]).post(
        "/api/v1/auth/password/", {"old_password": "bad", "new_password": "Brand-new-2026!"}, format="json"
    )
    assert response.status_code == 400
    assert "old_password" in response.json()["error"]["fields"]


def test_personal_api_token_authenticates_until_revoked(cast, client_for):
    owner_client = client_for(cast["owner"])
    created = owner_client.post("/api/v1/auth/tokens/", {"name": "脚本"}, format="json")
    assert created.status_code == 201
    key = created.json()["key"]
    listed = owner_client.get("/api/v1/auth/tokens/").json()
    assert listed[0]["name"] == "脚本" and "key" not in listed[0]
    token_client = APIClient()
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert token_client.get("/api/v1/auth/me/").json()["username"] == "owner"
    assert owner_client.delete(f"/api/v1/auth/tokens/{created.json()['id']}/").status_code == 204
    assert token_client.get("/api/v1/auth/me/").status_code == 401


def test_a_user_cannot_revoke_someone_elses_token(cast, client_for):
    created = client_for(cast["owner"]).post("/api/v1/auth/tokens/", {}, format="json").json()
    assert client_for(cast["colleague"]).delete(f"/api/v1/auth/tokens/{created['id']}/").status_code == 404


def test_anonymous_gets_401_in_the_error_shape(db):
    response = APIClient().get("/api/v1/users/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_unknown_api_path_is_a_json_404(db):
    response = APIClient().get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_me_update_sets_status_and_language_and_rejects_unknown_status(cast, client_for):
    from shoal.system.services import dictionary_seed_defaults

    dictionary_seed_defaults()
    client = client_for(cast["owner"])
    response = client.patch("/api/v1/auth/me/", {"status": "business_trip", "language": "en"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "business_trip"
    assert response.json()["language"] == "en"
    bad = client.patch("/api/v1/auth/me/", {"status": "nonsense"}, format="json")
    assert bad.status_code == 400
    assert "status" in bad.json()["error"]["fields"]


def test_me_reports_the_department_manager_as_default_superior(cast, client_for):
    me = client_for(cast["owner"]).get("/api/v1/auth/me/").json()
    assert me["superior"]["id"] == cast["manager"].pk
    assert me["role"]["code"] == "sales_rep"
    assert me["data_scope"] == "self"


# ---------------------------------------------------------------- departments (ORG-1)


def test_admin_creates_renames_and_moves_a_department(cast, client_for, company):
    client = client_for(cast["admin"])
    created = client.post("/api/v1/departments/", {"name": "新部门", "parent": company["sales"].pk}, format="json")
    assert created.status_code == 201
    body = created.json()
    renamed = client.patch(
        f"/api/v1/departments/{body['id']}/", {"name": "新部门A", "version": body["version"]}, format="json"
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "新部门A"
    moved = client.patch(
        f"/api/v1/departments/{company['sales'].pk}/", {"parent": company["east"].pk, "version": 1}, format="json"
    )
    assert moved.status_code == 200
    company["team_a"].refresh_from_db()
    assert company["team_a"].path.startswith(f"/{company['root'].pk}/{company['east'].pk}/{company['sales'].pk}/")


def test_department_cannot_move_under_its_own_child(cast, client_for, company):
    response = client_for(cast["admin"]).patch(
        f"/api/v1/departments/{company['sales'].pk}/", {"parent": company["team_a"].pk}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.json()["error"]["fields"]


def test_deleting_a_department_with_members_or_children_is_409(cast, client_for, company):
    client = client_for(cast["admin"])
    with_children = client.delete(f"/api/v1/departments/{company['sales'].pk}/")
    assert with_children.status_code == 409
    assert with_children.json()["error"]["code"] == "department_not_empty"
    with_members = client.delete(f"/api/v1/departments/{company['team_a'].pk}/")
    assert with_members.status_code == 409
    empty = DepartmentFactory(name="空部门", parent=company["root"])
    assert client.delete(f"/api/v1/departments/{empty.pk}/").status_code == 204


def test_stale_department_edit_is_409(cast, client_for, company):
    client = client_for(cast["admin"])
    url = f"/api/v1/departments/{company['east'].pk}/"
    assert client.patch(url, {"name": "华东一", "version": 1}, format="json").status_code == 200
    stale = client.patch(url, {"name": "华东二", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_version"


def test_rep_reads_the_tree_but_gets_403_on_org_admin_endpoints(cast, client_for, company):
    client = client_for(cast["owner"])
    assert client.get("/api/v1/departments/").status_code == 200
    assert client.post("/api/v1/departments/", {"name": "x"}, format="json").status_code == 403
    assert client.delete(f"/api/v1/departments/{company['east'].pk}/").status_code == 403
    assert client.post("/api/v1/users/", {}, format="json").status_code == 403
    assert client.patch(f"/api/v1/roles/{role('sales_rep').pk}/", {"name": "x"}, format="json").status_code == 403
    assert client.post("/api/v1/users/deactivate/", {"ids": [cast["colleague"].pk]}, format="json").status_code == 403


# ---------------------------------------------------------------- users (ORG-4, ORG-5)


def new_user_payload(company, **extra):
    payload = {
        "username": "newrep",
        "name": "新销售",
        "password": "Start-pass-2026",
        "department": company["team_b"].pk,
        "role": role("sales_rep").pk,
        "mobile": "13700001111",
    }
    payload.update(extra)
    return payload


def test_admin_creates_a_rep_who_must_change_password(cast, client_for, company):
    response = client_for(cast["admin"]).post("/api/v1/users/", new_user_payload(company), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["must_change_password"] is True
    client = APIClient()
    assert login(client, "newrep", "Start-pass-2026").json()["must_change_password"] is True


def test_duplicate_username_is_400_with_a_field_error(cast, client_for, company):
    response = client_for(cast["admin"]).post(
        "/api/v1/users/", new_user_payload(company, username="OWNER"), format="json"
    )
    assert response.status_code == 400
    assert "username" in response.json()["error"]["fields"]


def test_weak_password_and_missing_fields_are_field_errors(cast, client_for, company):
    client = client_for(cast["admin"])
    weak = client.post("/api/v1/users/", new_user_payload(company, password="12345678"), format="json")
    assert weak.status_code == 400 and "password" in weak.json()["error"]["fields"]
    missing = client.post("/api/v1/users/", {"username": "x"}, format="json")
    assert missing.status_code == 400
    assert {"name", "password", "role"} <= set(missing.json()["error"]["fields"])


def test_moving_a_user_to_another_department_is_recorded(cast, client_for, company):
    client = client_for(cast["admin"])
    url = f"/api/v1/users/{cast['owner'].pk}/"
    response = client.patch(url, {"department": company["east"].pk, "version": 1}, format="json")
    assert response.status_code == 200
    move = DepartmentMove.objects.get(user=cast["owner"])
    assert (move.from_department, move.to_department, move.actor) == (company["team_a"], company["east"], cast["admin"])
    moves = client.get(f"{url}moves/").json()
    assert moves[0]["to_department_name"] == "华东"
    history = client.get(f"{url}history/").json()
    assert history[0]["action"] == "changed"
    assert any(c["field"] == "department" for c in history[0]["changes"])


def test_stale_user_edit_is_409_with_the_current_record(cast, client_for):
    client = client_for(cast["admin"])
    url = f"/api/v1/users/{cast['owner'].pk}/"
    assert client.patch(url, {"name": "甲", "version": 1}, format="json").status_code == 200
    stale = client.patch(url, {"name": "乙", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["error"]["current"]["name"] == "甲"


def test_batch_deactivate_keeps_records_and_blocks_sign_in_then_reactivate(cast, client_for):
    client = client_for(cast["admin"])
    ids = [cast["owner"].pk, cast["admin"].pk, 999999]
    result = client.post("/api/v1/users/deactivate/", {"ids": ids}, format="json").json()
    assert result["succeeded"] == [cast["owner"].pk]
    assert {f["code"] for f in result["failed"]} == {"cannot_deactivate_self", "not_found"}
    assert User.objects.filter(pk=cast["owner"].pk, is_active=False).exists()
    assert login(APIClient(), "owner").status_code == 400
    client.post("/api/v1/users/reactivate/", {"ids": [cast["owner"].pk]}, format="json")
    assert login(APIClient(), "owner").status_code == 200


def test_admin_reset_forces_a_password_change(cast, client_for):
    response = client_for(cast["admin"]).post(
        f"/api/v1/users/{cast['owner'].pk}/reset_password/", {"password": "Reset-pass-2026"}, format="json"
    )
    assert response.status_code == 204
    client = APIClient()
    assert login(client, "owner", "Reset-pass-2026").json()["must_change_password"] is True
    assert client.get("/api/v1/departments/").json()["error"]["code"] == "password_change_required"


def test_user_list_filters_by_department_subtree_role_and_search(cast, client_for, company):
    client = client_for(cast["admin"])
    subtree = client.get(f"/api/v1/users/?department={company['sales'].pk}&include_descendants=true").json()
    assert {u["username"] for u in subtree["results"]} == {"manager", "owner", "colleague", "sharee"}
    direct = client.get(f"/api/v1/users/?department={company['sales'].pk}").json()
    assert {u["username"] for u in direct["results"]} == {"manager"}
    managers = client.get("/api/v1/users/?role=department_manager").json()
    assert [u["username"] for u in managers["results"]] == ["manager"]
    search = client.get("/api/v1/users/?q=outs").json()
    assert [u["username"] for u in search["results"]] == ["outsider"]
    ordered = client.get("/api/v1/users/?ordering=-username&page_size=2").json()
    assert ordered["count"] == 6 and ordered["results"][0]["username"] == "sharee"
    assert client.get("/api/v1/users/?department=abc").status_code == 400


def test_user_list_runs_a_constant_number_of_queries(cast, client_for, company, django_assert_max_num_queries):
    for _ in range(50):
        UserFactory(department=company["team_b"], superior=cast["manager"])
    client = client_for(cast["admin"])
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/users/?page_size=60")
    assert len(response.json()["results"]) == 56


def test_superior_cannot_be_the_user_or_make_a_cycle(cast, client_for):
    client = client_for(cast["admin"])
    own = client.patch(f"/api/v1/users/{cast['owner'].pk}/", {"superior": cast["owner"].pk}, format="json")
    assert own.status_code == 400
    client.patch(f"/api/v1/users/{cast['colleague'].pk}/", {"superior": cast["owner"].pk}, format="json")
    cycle = client.patch(f"/api/v1/users/{cast['owner'].pk}/", {"superior": cast["colleague"].pk}, format="json")
    assert cycle.status_code == 400 and "superior" in cycle.json()["error"]["fields"]


# ---------------------------------------------------------------- roles (ORG-2)


def test_admin_edits_a_roles_scope_and_permissions(cast, client_for):
    client = client_for(cast["admin"])
    rep = role("sales_rep")
    response = client.patch(
        f"/api/v1/roles/{rep.pk}/",
        {"data_scope": "department", "permissions": ["org.view_staff"], "version": rep.version},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["permissions"] == ["org.view_staff"]
    cast["owner"].refresh_from_db()
    assert client_for(cast["owner"]).get("/api/v1/auth/me/").json()["data_scope"] == "department"


def test_unknown_permission_code_is_a_field_error(cast, client_for):
    response = client_for(cast["admin"]).patch(
        f"/api/v1/roles/{role('sales_rep').pk}/", {"permissions": ["nope.nothing"]}, format="json"
    )
    assert response.status_code == 400 and "permissions" in response.json()["error"]["fields"]


def test_built_in_or_used_roles_cannot_be_deleted(cast, client_for):
    client = client_for(cast["admin"])
    builtin = client.delete(f"/api/v1/roles/{role('sales_rep').pk}/")
    assert builtin.status_code == 409 and builtin.json()["error"]["code"] == "role_is_system"
    custom = client.post(
        "/api/v1/roles/", {"code": "intern", "name": "实习生", "data_scope": "self", "permissions": []}, format="json"
    ).json()
    UserFactory(role_id=custom["id"])
    in_use = client.delete(f"/api/v1/roles/{custom['id']}/")
    assert in_use.status_code == 409 and in_use.json()["error"]["code"] == "role_in_use"


def test_permissions_endpoint_lists_every_declared_code(cast, client_for):
    codes = {p["code"] for p in client_for(cast["admin"]).get("/api/v1/roles/permissions/").json()}
    assert {"org.manage_users", "org.manage_roles", "system.manage_dictionary"} <= codes


def test_session_state_is_200_whether_signed_in_or_not(cast, client_for):
    anonymous = APIClient().get("/api/v1/auth/session/")
    assert anonymous.status_code == 200
    assert anonymous.json() == {"authenticated": False, "user": None}
    assert "csrftoken" in anonymous.cookies
    signed_in = client_for(cast["owner"]).get("/api/v1/auth/session/").json()
    assert signed_in["authenticated"] is True and signed_in["user"]["username"] == "owner"


def test_signed_in_user_updates_own_profile_through_the_session(cast):
    from shoal.system.services import dictionary_seed_defaults

    dictionary_seed_defaults()
    client = APIClient()
    login(client, "owner")
    response = client.patch("/api/v1/auth/me/", {"status": "leave", "language": "zh-hant"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["language"]) == ("leave", "zh-hant")


def test_user_list_sorts_by_department_and_role_names(cast, client_for):
    client = client_for(cast["admin"])
    by_department = client.get("/api/v1/users/?ordering=department_name").json()["results"]
    names = [u["department_name"] for u in by_department]
    assert names == sorted(names)
    by_role = client.get("/api/v1/users/?ordering=-role_name").json()["results"]
    roles = [u["role_name"] for u in by_role]
    assert roles == sorted(roles, reverse=True)


def test_user_list_shows_the_department_manager_as_superior_when_none_is_set(cast, client_for):
    rows = client_for(cast["admin"]).get("/api/v1/users/?q=owner").json()["results"]
    assert rows[0]["superior"] is None
    assert rows[0]["superior_name"] == cast["manager"].name


@pytest.mark.parametrize("param", ["q", "role", "status"])
def test_null_characters_in_staff_filters_get_400_not_500(cast, client_for, param):
    # PostgreSQL refuses NUL in text; the query used to fail with a 500 there.
    response = client_for(cast["owner"]).get("/api/v1/users/", {param: "a\x00b"})
    assert response.status_code == 400, response.content
    assert param in response.json()["error"]["fields"]


def test_an_out_of_range_department_filter_gets_400_not_500(cast, client_for):
    # SQLite integers stop at 2**63 - 1; the query used to fail with a 500 (OverflowError).
    response = client_for(cast["owner"]).get("/api/v1/users/", {"department": 2**63})
    assert response.status_code == 400, response.content


# ---------------------------------------------------------------- query budgets (issue 9): 50 rows, constant queries


def test_department_list_runs_a_constant_number_of_queries(cast, client_for, company, django_assert_max_num_queries):
    for i in range(50):
        department = DepartmentFactory(name=f"小组{i}", parent=company["sales"])
        UserFactory(department=department)
        department.manager = cast["manager"]
        department.save()
    with django_assert_max_num_queries(3):
        response = client_for(cast["owner"]).get("/api/v1/departments/")
    assert len(response.json()) == 55


def test_role_list_runs_a_constant_number_of_queries(cast, client_for, django_assert_max_num_queries):
    from shoal.org.models import Role

    Role.objects.bulk_create(Role(code=f"role{i}", name=f"角色{i}", permissions=["org.view_staff"]) for i in range(50))
    with django_assert_max_num_queries(3):
        response = client_for(cast["owner"]).get("/api/v1/roles/")
    assert len(response.json()) >= 50


def test_token_list_runs_a_constant_number_of_queries(cast, client_for, django_assert_max_num_queries):
    from shoal.org.services import token_create

    for i in range(50):
        token_create(actor=cast["owner"], name=f"脚本{i}")
    with django_assert_max_num_queries(3):
        response = client_for(cast["owner"]).get("/api/v1/auth/tokens/")
    assert len(response.json()) == 50


def test_moves_and_history_of_a_user_run_a_constant_number_of_queries(
    cast, client_for, company, django_assert_max_num_queries
):
    subject = cast["outsider"]
    for i in range(50):
        DepartmentMove.objects.create(
            user=subject, from_department=company["east"], to_department=company["team_a"], actor=cast["admin"]
        )
        subject.name = f"改名{i}"
        subject._history_user = cast["admin"]
        subject.save()
    client = client_for(cast["admin"])
    with django_assert_max_num_queries(5):
        response = client.get(f"/api/v1/users/{subject.pk}/moves/")
    assert len(response.json()) == 50
    with django_assert_max_num_queries(5):
        response = client.get(f"/api/v1/users/{subject.pk}/history/")
    assert len(response.json()) >= 50


def test_every_stale_org_edit_answers_with_the_current_record(cast, client_for, company):
    from shoal.system.models import DictionaryItem
    from shoal.system.services import dictionary_seed_defaults

    dictionary_seed_defaults()
    client = client_for(cast["admin"])
    item = DictionaryItem.objects.filter(kind="industry").first()
    urls = {
        f"/api/v1/departments/{company['east'].pk}/": "name",
        f"/api/v1/roles/{role('marketing').pk}/": "name",
        f"/api/v1/dictionary/{item.pk}/": "name",
    }
    for url, field in urls.items():
        assert client.patch(url, {field: "第一次", "version": 1}, format="json").status_code == 200
        stale = client.patch(url, {field: "第二次", "version": 1}, format="json")
        assert stale.status_code == 409, url
        assert stale.json()["error"]["current"][field] == "第一次", url
