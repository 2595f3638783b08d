"""GCP permission rows: per Pulumi type, the IAM permissions of the REST methods the provider calls to create,
get, update and delete it, and the API each needs enabled.

Each method's permission is the one its API reference states ("Authorization requires the following IAM
permission on the specified resource"), which iam-dataset's gcp/map.json collects per method
(iann0036/iam-dataset@2073fa5). The provider polls long-running operations with the service's operations.get,
which needs no permission beyond the method's own. Labels are part of each resource's update.
"""

from __future__ import annotations

from launchpad.access.model import Need, Op, Row, When, input_set, row

METHOD_MAP = (
    "iann0036/iam-dataset@2073fa5 gcp/map.json (REST method -> IAM permission, from Google's API references)"
)
ACT_AS = (
    "Cloud Run, Cloud Scheduler and other services check iam.serviceAccounts.actAs on the service account a "
    "resource runs as (cloud.google.com/iam/docs/service-accounts-actas)"
)
BILLING = "billing"  # a Need's resource: the billing account (grants there, not on the project)
STORED_VALUE = "secret-version"  # a Need's resource: the version of the secret in the `secret` input
ACT_AS_RUNTIME = "runtime-account"  # a Need's resource: the service account the resource runs as


def _crud(service: str, collection: str, *, api: str, delete: bool = True) -> dict[str, tuple[str, ...]]:
    prefix = f"{service}.{collection}"
    return {
        "create": (f"{prefix}.create",),
        "read": (f"{prefix}.get",),
        "update": (f"{prefix}.update",),
        "delete": (f"{prefix}.delete",) if delete else (),
        "api": (api,),
    }


def _row(
    type_: str, parts: dict[str, tuple[str, ...]], *extra_sources: str, when: tuple[When, ...] = ()
) -> Row:
    return row(
        type_,
        sources=(METHOD_MAP, *extra_sources),
        api=parts["api"][0],
        create=parts["create"],
        read=parts["read"],
        update=parts["update"],
        delete=parts["delete"],
        when=when,
    )


def iam_member_row(type_: str, collection: str, api: str) -> Row:
    """A `...IAMMember`: the provider reads the resource's policy and writes it back with the member."""
    return row(
        type_,
        sources=(METHOD_MAP,),
        api=api,
        create=(f"{collection}.getIamPolicy", f"{collection}.setIamPolicy"),
        read=(f"{collection}.getIamPolicy",),
        update=(f"{collection}.getIamPolicy", f"{collection}.setIamPolicy"),
        delete=(f"{collection}.getIamPolicy", f"{collection}.setIamPolicy"),
    )


RUN_AND_WAIT = ("run.jobs.run", "run.executions.get")
AR_PUSH = ("artifactregistry.repositories.uploadArtifacts", "artifactregistry.repositories.downloadArtifacts")
RUNS_AS = Need("iam.serviceAccounts.actAs", ACT_AS_RUNTIME)

ROWS = (
    row(
        "gcp:projects/service:Service",
        sources=(METHOD_MAP,),
        api="serviceusage.googleapis.com",
        create=("serviceusage.services.enable",),
        read=("serviceusage.services.get",),
        note="disable_on_destroy=False: delete only forgets the API",
    ),
    _row("gcp:artifactregistry/repository:Repository",
         _crud("artifactregistry", "repositories", api="artifactregistry.googleapis.com")),
    _row("gcp:secretmanager/secret:Secret",
         _crud("secretmanager", "secrets", api="secretmanager.googleapis.com")),
    row(
        "gcp:secretmanager/secretVersion:SecretVersion",
        sources=(METHOD_MAP,),
        api="secretmanager.googleapis.com",
        create=("secretmanager.versions.add",),
        read=("secretmanager.versions.get",),
        update=("secretmanager.versions.add", "secretmanager.versions.destroy"),
        delete=("secretmanager.versions.destroy",),
        # A version written with secret_data (not write-only) is read back on every refresh.
        when=(
            When(input_set("secretData"), "a value Pulumi reads back",
                 {Op.READ: (Need("secretmanager.versions.access", STORED_VALUE),)}),
        ),
    ),
    iam_member_row("gcp:secretmanager/secretIamMember:SecretIamMember", "secretmanager.secrets",
                   "secretmanager.googleapis.com"),
    iam_member_row("gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "run.services", "run.googleapis.com"),
    iam_member_row("gcp:cloudrunv2/jobIamMember:JobIamMember", "run.jobs", "run.googleapis.com"),
    _row("gcp:serviceaccount/account:Account", _crud("iam", "serviceAccounts", api="iam.googleapis.com")),
    row(
        "gcp:cloudrunv2/service:Service",
        sources=(METHOD_MAP, ACT_AS),
        api="run.googleapis.com",
        create=("run.services.create", RUNS_AS),
        read=("run.services.get",),
        update=("run.services.update", RUNS_AS),
        delete=("run.services.delete",),
    ),
    row(
        "gcp:cloudrunv2/job:Job",
        sources=(METHOD_MAP, ACT_AS),
        api="run.googleapis.com",
        create=("run.jobs.create", RUNS_AS),
        read=("run.jobs.get",),
        update=("run.jobs.update", RUNS_AS),
        delete=("run.jobs.delete",),
        # A run_execution_token makes the provider run the job (the migrations) and wait for the execution.
        when=(
            When(
                input_set("runExecutionToken"),
                "runs the job on create and whenever the token changes",
                {Op.CREATE: RUN_AND_WAIT, Op.UPDATE: RUN_AND_WAIT},
            ),
        ),
    ),
    row(
        "gcp:cloudscheduler/job:Job",
        sources=(METHOD_MAP, ACT_AS),
        api="cloudscheduler.googleapis.com",
        create=("cloudscheduler.jobs.create", RUNS_AS),
        read=("cloudscheduler.jobs.get",),
        update=("cloudscheduler.jobs.update", RUNS_AS),
        delete=("cloudscheduler.jobs.delete",),
    ),
    _row("gcp:monitoring/alertPolicy:AlertPolicy",
         _crud("monitoring", "alertPolicies", api="monitoring.googleapis.com")),
    _row("gcp:monitoring/notificationChannel:NotificationChannel",
         _crud("monitoring", "notificationChannels", api="monitoring.googleapis.com")),
    _row("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
         _crud("monitoring", "uptimeCheckConfigs", api="monitoring.googleapis.com")),
    row(
        "gcp:billing/budget:Budget",
        sources=(METHOD_MAP, "Cloud Billing: budgets are created on the billing account; Billing Account "
                 "Costs Manager (roles/billing.costsManager) holds billing.budgets.* there"),
        api="billingbudgets.googleapis.com",
        create=(Need("billing.budgets.create", BILLING),),
        read=(Need("billing.budgets.get", BILLING),),
        update=(Need("billing.budgets.update", BILLING),),
        delete=(Need("billing.budgets.delete", BILLING),),
    ),
    row(
        "docker-build:index:Image",
        sources=("Artifact Registry: pushing an image takes artifactregistry.repositories.uploadArtifacts "
                 "(roles/artifactregistry.writer), reading layers downloadArtifacts",),
        api="artifactregistry.googleapis.com",
        create=AR_PUSH,
        update=AR_PUSH,
        note="only for images pushed to Artifact Registry (a *-docker.pkg.dev tag)",
    ),
)  # fmt: skip
# The data sources the program calls, each with the permission its read needs.
CALLS: dict[str, tuple[str, ...]] = {
    "gcp:organizations/getClientConfig:getClientConfig": (),  # the caller's own token: no call
    "gcp:organizations/getProject:getProject": ("resourcemanager.projects.get",),
    # projects.serviceAccount.get (the Cloud Storage service agent) is authorised by the project's get.
    "gcp:storage/getProjectServiceAccount:getProjectServiceAccount": ("resourcemanager.projects.get",),
}
