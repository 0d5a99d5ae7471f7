/*
 * pb_tables.c: the protobuf field tables of the built-in kinds pb.c decodes.
 *
 * Field numbers are those of k8s.io/api's generated.proto. Tables marked
 * strict are partial (what kubectl's generators fill, and what a server-side
 * object read back for `kubectl create job --from` carries): a field they do
 * not list makes the body unsupported (415) rather than silently dropped.
 */
#include "pb_tables.h"

/* ---- message tables (field numbers from k8s.io/api generated.proto) ------- */

static const pb_field OWNER_REF_F[] = {
    {5, "apiVersion", F_STR, false, NULL}, {1, "kind", F_STR, false, NULL},
    {3, "name", F_STR, false, NULL},       {4, "uid", F_STR, false, NULL},
    {6, "controller", F_BOOLP, false, NULL}, {7, "blockOwnerDeletion", F_BOOLP, false, NULL},
    {0}};
static const pb_msg OWNER_REF = {OWNER_REF_F};

static const pb_field OBJECT_META_F[] = {
    {1, "name", F_STR, false, NULL},
    {2, "generateName", F_STR, false, NULL},
    {3, "namespace", F_STR, false, NULL},
    {5, "uid", F_STR, false, NULL},
    {6, "resourceVersion", F_STR, false, NULL},
    {7, "generation", F_INT, false, NULL},
    {8, "creationTimestamp", F_TIME, false, NULL},
    {9, "deletionTimestamp", F_TIME, false, NULL},
    {10, "deletionGracePeriodSeconds", F_INTP, false, NULL},
    {11, "labels", F_MAP_STR, false, NULL},
    {12, "annotations", F_MAP_STR, false, NULL},
    {13, "ownerReferences", F_MSG, true, &OWNER_REF},
    {14, "finalizers", F_STR, true, NULL},
    {0}};
static const pb_msg OBJECT_META = {OBJECT_META_F};

static const pb_field NS_SPEC_F[] = {{1, "finalizers", F_STR, true, NULL}, {0}};
static const pb_msg NS_SPEC = {NS_SPEC_F};
static const pb_field NAMESPACE_F[] = {
    {1, "metadata", F_MSG, false, &OBJECT_META}, {2, "spec", F_MSG, false, &NS_SPEC}, {0}};

static const pb_field CONFIGMAP_F[] = {
    {1, "metadata", F_MSG, false, &OBJECT_META}, {2, "data", F_MAP_STR, false, NULL},
    {3, "binaryData", F_MAP_BYTES, false, NULL}, {4, "immutable", F_BOOLP, false, NULL},
    {0}};

static const pb_field SECRET_F[] = {
    {1, "metadata", F_MSG, false, &OBJECT_META}, {2, "data", F_MAP_BYTES, false, NULL},
    {3, "type", F_STR, false, NULL},             {4, "stringData", F_MAP_STR, false, NULL},
    {5, "immutable", F_BOOLP, false, NULL},      {0}};

static const pb_field LOCAL_REF_F[] = {{1, "name", F_STR, false, NULL}, {0}};
static const pb_msg LOCAL_REF = {LOCAL_REF_F};
static const pb_field OBJ_REF_F[] = {
    {1, "kind", F_STR, false, NULL}, {2, "namespace", F_STR, false, NULL},
    {3, "name", F_STR, false, NULL}, {4, "uid", F_STR, false, NULL},
    {5, "apiVersion", F_STR, false, NULL}, {0}};
static const pb_msg OBJ_REF = {OBJ_REF_F};
static const pb_field SERVICE_ACCOUNT_F[] = {
    {1, "metadata", F_MSG, false, &OBJECT_META},
    {2, "secrets", F_MSG, true, &OBJ_REF},
    {3, "imagePullSecrets", F_MSG, true, &LOCAL_REF},
    {4, "automountServiceAccountToken", F_BOOLP, false, NULL},
    {0}};

static const pb_field POLICY_RULE_F[] = {
    {1, "verbs", F_STR, true, NULL},           {2, "apiGroups", F_STR, true, NULL},
    {3, "resources", F_STR, true, NULL},       {4, "resourceNames", F_STR, true, NULL},
    {5, "nonResourceURLs", F_STR, true, NULL}, {0}};
static const pb_msg POLICY_RULE = {POLICY_RULE_F};
static const pb_field ROLE_F[] = {
    {1, "metadata", F_MSG, false, &OBJECT_META}, {2, "rules", F_MSG, true, &POLICY_RULE}, {0}};
static const pb_field SELECTOR_F[] = {{1, "matchLabels", F_MAP_STR, false, NULL}, {0}};
static const pb_msg SELECTOR = {SELECTOR_F, true};
static const pb_field AGGREGATION_F[] = {
    {1, "clusterRoleSelectors", F_MSG, true, &SELECTOR}, {0}};
static const pb_msg AGGREGATION = {AGGREGATION_F, true};
static const pb_field CLUSTER_ROLE_F[] = {
    {1, "metadata", F_MSG, false, &OBJECT_META}, {2, "rules", F_MSG, true, &POLICY_RULE},
    {3, "aggregationRule", F_MSG, false, &AGGREGATION}, {0}};
static const pb_field SUBJECT_F[] = {
    {1, "kind", F_STR, false, NULL}, {2, "apiGroup", F_STR, false, NULL},
    {3, "name", F_STR, false, NULL}, {4, "namespace", F_STR, false, NULL}, {0}};
static const pb_msg SUBJECT = {SUBJECT_F};
static const pb_field ROLE_REF_F[] = {
    {1, "apiGroup", F_STR, false, NULL}, {2, "kind", F_STR, false, NULL},
    {3, "name", F_STR, false, NULL}, {0}};
static const pb_msg ROLE_REF = {ROLE_REF_F};
static const pb_field BINDING_F[] = {
    {1, "metadata", F_MSG, false, &OBJECT_META}, {2, "subjects", F_MSG, true, &SUBJECT},
    {3, "roleRef", F_MSG, false, &ROLE_REF}, {0}};

static const pb_field PRIORITY_CLASS_F[] = {
    {1, "metadata", F_MSG, false, &OBJECT_META}, {2, "value", F_INTP, false, NULL},
    {3, "globalDefault", F_BOOL, false, NULL},   {4, "description", F_STR, false, NULL},
    {5, "preemptionPolicy", F_STR, false, NULL}, {0}};

/* Workloads: the parts of apps/v1 Deployment and core/v1 Pod that kubectl's
 * generators (`create deployment`, `run`) fill. These tables are partial and
 * strict: a field they do not list makes the body unsupported (415). */
/* A message kept only when empty (a status). */
static const pb_field EMPTY_F[] = {{0}};
static const pb_msg EMPTY_STRICT = {EMPTY_F, true};
static const pb_field PORT_F[] = {
    {1, "name", F_STR, false, NULL},         {2, "hostPort", F_INT, false, NULL},
    {3, "containerPort", F_INTP, false, NULL}, {4, "protocol", F_STR, false, NULL},
    {5, "hostIP", F_STR, false, NULL},       {0}};
static const pb_msg PORT = {PORT_F, true};
static const pb_field OPTIONAL_REF_F[] = { /* {ConfigMap,Secret}KeySelector */
    {1, "", F_INLINE, false, &LOCAL_REF}, {2, "key", F_STR, false, NULL},
    {3, "optional", F_BOOLP, false, NULL}, {0}};
static const pb_msg OPTIONAL_REF = {OPTIONAL_REF_F, true};
static const pb_field ENV_SOURCE_F[] = {
    {1, "", F_INLINE, false, &LOCAL_REF}, {2, "optional", F_BOOLP, false, NULL}, {0}};
static const pb_msg ENV_SOURCE = {ENV_SOURCE_F, true};
static const pb_field FIELD_REF_F[] = {
    {1, "apiVersion", F_STR, false, NULL}, {2, "fieldPath", F_STR, false, NULL}, {0}};
static const pb_msg FIELD_REF = {FIELD_REF_F, true};
static const pb_field ENV_VALUE_FROM_F[] = {
    {1, "fieldRef", F_MSG, false, &FIELD_REF}, {3, "configMapKeyRef", F_MSG, false, &OPTIONAL_REF},
    {4, "secretKeyRef", F_MSG, false, &OPTIONAL_REF}, {0}};
static const pb_msg ENV_VALUE_FROM = {ENV_VALUE_FROM_F, true};
static const pb_field ENV_F[] = {
    {1, "name", F_STR, false, NULL}, {2, "value", F_STR, false, NULL},
    {3, "valueFrom", F_MSG, false, &ENV_VALUE_FROM}, {0}};
static const pb_msg ENV = {ENV_F, true};
static const pb_field ENV_FROM_F[] = {
    {1, "prefix", F_STR, false, NULL}, {2, "configMapRef", F_MSG, false, &ENV_SOURCE},
    {3, "secretRef", F_MSG, false, &ENV_SOURCE}, {0}};
static const pb_msg ENV_FROM = {ENV_FROM_F, true};
static const pb_field VOLUME_MOUNT_F[] = {
    {1, "name", F_STR, false, NULL},      {2, "readOnly", F_BOOL, false, NULL},
    {3, "mountPath", F_STR, false, NULL}, {4, "subPath", F_STR, false, NULL},
    {5, "mountPropagation", F_STR, false, NULL}, {6, "subPathExpr", F_STR, false, NULL},
    {7, "recursiveReadOnly", F_STR, false, NULL}, {0}};
static const pb_msg VOLUME_MOUNT = {VOLUME_MOUNT_F, true};

/* Probes (the ProbeHandler is inlined into its Probe in JSON) and security
 * contexts, without SELinux, Windows and AppArmor options. */
static const pb_field EXEC_F[] = {{1, "command", F_STR, true, NULL}, {0}};
static const pb_msg EXEC = {EXEC_F, true};
static const pb_field HTTP_HEADER_F[] = {
    {1, "name", F_STR, false, NULL}, {2, "value", F_STR, false, NULL}, {0}};
static const pb_msg HTTP_HEADER = {HTTP_HEADER_F, true};
static const pb_field HTTP_GET_F[] = {
    {1, "path", F_STR, false, NULL},   {2, "port", F_INT_OR_STRING, false, NULL},
    {3, "host", F_STR, false, NULL},   {4, "scheme", F_STR, false, NULL},
    {5, "httpHeaders", F_MSG, true, &HTTP_HEADER}, {0}};
static const pb_msg HTTP_GET = {HTTP_GET_F, true};
static const pb_field TCP_SOCKET_F[] = {
    {1, "port", F_INT_OR_STRING, false, NULL}, {2, "host", F_STR, false, NULL}, {0}};
static const pb_msg TCP_SOCKET = {TCP_SOCKET_F, true};
static const pb_field GRPC_F[] = {
    {1, "port", F_INTP, false, NULL}, {2, "service", F_STR, false, NULL}, {0}};
static const pb_msg GRPC = {GRPC_F, true};
static const pb_field PROBE_HANDLER_F[] = {
    {1, "exec", F_MSG, false, &EXEC},          {2, "httpGet", F_MSG, false, &HTTP_GET},
    {3, "tcpSocket", F_MSG, false, &TCP_SOCKET}, {4, "grpc", F_MSG, false, &GRPC}, {0}};
static const pb_msg PROBE_HANDLER = {PROBE_HANDLER_F, true};
static const pb_field PROBE_F[] = {
    {1, "", F_INLINE, false, &PROBE_HANDLER},
    {2, "initialDelaySeconds", F_INT, false, NULL},
    {3, "timeoutSeconds", F_INT, false, NULL},
    {4, "periodSeconds", F_INT, false, NULL},
    {5, "successThreshold", F_INT, false, NULL},
    {6, "failureThreshold", F_INT, false, NULL},
    {7, "terminationGracePeriodSeconds", F_INTP, false, NULL},
    {0}};
static const pb_msg PROBE = {PROBE_F, true};
static const pb_field SECCOMP_F[] = {
    {1, "type", F_STR, false, NULL}, {2, "localhostProfile", F_STR, false, NULL}, {0}};
static const pb_msg SECCOMP = {SECCOMP_F, true};
static const pb_field CAPABILITIES_F[] = {
    {1, "add", F_STR, true, NULL}, {2, "drop", F_STR, true, NULL}, {0}};
static const pb_msg CAPABILITIES = {CAPABILITIES_F, true};
static const pb_field SECURITY_CONTEXT_F[] = {
    {1, "capabilities", F_MSG, false, &CAPABILITIES},
    {2, "privileged", F_BOOLP, false, NULL},
    {4, "runAsUser", F_INTP, false, NULL},
    {5, "runAsNonRoot", F_BOOLP, false, NULL},
    {6, "readOnlyRootFilesystem", F_BOOLP, false, NULL},
    {7, "allowPrivilegeEscalation", F_BOOLP, false, NULL},
    {8, "runAsGroup", F_INTP, false, NULL},
    {9, "procMount", F_STR, false, NULL},
    {11, "seccompProfile", F_MSG, false, &SECCOMP},
    {0}};
static const pb_msg SECURITY_CONTEXT = {SECURITY_CONTEXT_F, true};
static const pb_field POD_SECURITY_CONTEXT_F[] = {
    {2, "runAsUser", F_INTP, false, NULL},
    {3, "runAsNonRoot", F_BOOLP, false, NULL},
    {5, "fsGroup", F_INTP, false, NULL},
    {6, "runAsGroup", F_INTP, false, NULL},
    {9, "fsGroupChangePolicy", F_STR, false, NULL},
    {10, "seccompProfile", F_MSG, false, &SECCOMP},
    {0}};
static const pb_msg POD_SECURITY_CONTEXT = {POD_SECURITY_CONTEXT_F, true};

/* Volumes: emptyDir, configMap, secret and persistentVolumeClaim sources (the
 * VolumeSource is inlined into its Volume in JSON). */
static const pb_field KEY_TO_PATH_F[] = {
    {1, "key", F_STR, false, NULL}, {2, "path", F_STR, false, NULL},
    {3, "mode", F_INTP, false, NULL}, {0}};
static const pb_msg KEY_TO_PATH = {KEY_TO_PATH_F, true};
static const pb_field EMPTY_DIR_F[] = {
    {1, "medium", F_STR, false, NULL}, {2, "sizeLimit", F_QUANTITY, false, NULL}, {0}};
static const pb_msg EMPTY_DIR = {EMPTY_DIR_F, true};
static const pb_field CONFIGMAP_VOL_F[] = {
    {1, "", F_INLINE, false, &LOCAL_REF}, {2, "items", F_MSG, true, &KEY_TO_PATH},
    {3, "defaultMode", F_INTP, false, NULL}, {4, "optional", F_BOOLP, false, NULL}, {0}};
static const pb_msg CONFIGMAP_VOL = {CONFIGMAP_VOL_F, true};
static const pb_field SECRET_VOL_F[] = {
    {1, "secretName", F_STR, false, NULL}, {2, "items", F_MSG, true, &KEY_TO_PATH},
    {3, "defaultMode", F_INTP, false, NULL}, {4, "optional", F_BOOLP, false, NULL}, {0}};
static const pb_msg SECRET_VOL = {SECRET_VOL_F, true};
static const pb_field PVC_VOL_F[] = {
    {1, "claimName", F_STR, false, NULL}, {2, "readOnly", F_BOOL, false, NULL}, {0}};
static const pb_msg PVC_VOL = {PVC_VOL_F, true};
static const pb_field VOLUME_SOURCE_F[] = {
    {2, "emptyDir", F_MSG, false, &EMPTY_DIR},  {6, "secret", F_MSG, false, &SECRET_VOL},
    {10, "persistentVolumeClaim", F_MSG, false, &PVC_VOL},
    {19, "configMap", F_MSG, false, &CONFIGMAP_VOL}, {0}};
static const pb_msg VOLUME_SOURCE = {VOLUME_SOURCE_F, true};
static const pb_field VOLUME_F[] = {
    {1, "name", F_STR, false, NULL}, {2, "", F_INLINE, false, &VOLUME_SOURCE}, {0}};
static const pb_msg VOLUME = {VOLUME_F, true};
static const pb_field TOLERATION_F[] = {
    {1, "key", F_STR, false, NULL},   {2, "operator", F_STR, false, NULL},
    {3, "value", F_STR, false, NULL}, {4, "effect", F_STR, false, NULL},
    {5, "tolerationSeconds", F_INTP, false, NULL}, {0}};
static const pb_msg TOLERATION = {TOLERATION_F, true};
static const pb_field RESOURCES_F[] = {
    {1, "limits", F_QUANTITY_MAP, false, NULL}, {2, "requests", F_QUANTITY_MAP, false, NULL},
    {0}};
static const pb_msg RESOURCES = {RESOURCES_F, true};
static const pb_field CONTAINER_F[] = {
    {1, "name", F_STR, false, NULL},         {2, "image", F_STR, false, NULL},
    {3, "command", F_STR, true, NULL},       {4, "args", F_STR, true, NULL},
    {5, "workingDir", F_STR, false, NULL},   {6, "ports", F_MSG, true, &PORT},
    {7, "env", F_MSG, true, &ENV},           {8, "resources", F_MSG, false, &RESOURCES},
    {9, "volumeMounts", F_MSG, true, &VOLUME_MOUNT},
    {10, "livenessProbe", F_MSG, false, &PROBE},
    {11, "readinessProbe", F_MSG, false, &PROBE},
    {13, "terminationMessagePath", F_STR, false, NULL},
    {14, "imagePullPolicy", F_STR, false, NULL},
    {15, "securityContext", F_MSG, false, &SECURITY_CONTEXT},
    {16, "stdin", F_BOOL, false, NULL},      {17, "stdinOnce", F_BOOL, false, NULL},
    {18, "tty", F_BOOL, false, NULL},
    {19, "envFrom", F_MSG, true, &ENV_FROM},
    {20, "terminationMessagePolicy", F_STR, false, NULL},
    {22, "startupProbe", F_MSG, false, &PROBE},
    {0}};
static const pb_msg CONTAINER = {CONTAINER_F, true};
static const pb_field POD_SPEC_F[] = {
    {1, "volumes", F_MSG, true, &VOLUME},
    {2, "containers", F_MSG, true, &CONTAINER},
    {3, "restartPolicy", F_STR, false, NULL},
    {4, "terminationGracePeriodSeconds", F_INTP, false, NULL},
    {6, "dnsPolicy", F_STR, false, NULL},
    {7, "nodeSelector", F_MAP_STR, false, NULL},
    {8, "serviceAccountName", F_STR, false, NULL},
    {14, "securityContext", F_MSG, false, &POD_SECURITY_CONTEXT},
    {15, "imagePullSecrets", F_MSG, true, &LOCAL_REF},
    {19, "schedulerName", F_STR, false, NULL},
    {20, "initContainers", F_MSG, true, &CONTAINER},
    {22, "tolerations", F_MSG, true, &TOLERATION},
    {30, "enableServiceLinks", F_BOOLP, false, NULL},
    {0}};
static const pb_msg POD_SPEC = {POD_SPEC_F, true};
static const pb_field POD_TEMPLATE_F[] = {
    {1, "metadata", F_MSG, false, &OBJECT_META}, {2, "spec", F_MSG, false, &POD_SPEC}, {0}};
static const pb_msg POD_TEMPLATE = {POD_TEMPLATE_F, true};
static const pb_field STRATEGY_F[] = {{1, "type", F_STR, false, NULL}, {0}};
static const pb_msg STRATEGY = {STRATEGY_F, true};
static const pb_field DEPLOYMENT_SPEC_F[] = {
    {1, "replicas", F_INTP, false, NULL},      {2, "selector", F_MSG, false, &SELECTOR},
    {3, "template", F_MSG, false, &POD_TEMPLATE}, {4, "strategy", F_MSG, false, &STRATEGY},
    {5, "minReadySeconds", F_INT, false, NULL}, {7, "paused", F_BOOL, false, NULL}, {0}};
static const pb_msg DEPLOYMENT_SPEC = {DEPLOYMENT_SPEC_F, true};
static const pb_field DEPLOYMENT_F[] = {
    {1, "metadata", F_MSG, false, &OBJECT_META}, {2, "spec", F_MSG, false, &DEPLOYMENT_SPEC},
    {3, "status", F_MSG, false, &EMPTY_STRICT}, {0}};
static const pb_field POD_F[] = {
    {1, "metadata", F_MSG, false, &OBJECT_META}, {2, "spec", F_MSG, false, &POD_SPEC},
    {3, "status", F_MSG, false, &EMPTY_STRICT}, {0}};

/* Service, as `kubectl create service` fills it (partial, strict). */
static const pb_field SERVICE_PORT_F[] = {
    {1, "name", F_STR, false, NULL},     {2, "protocol", F_STR, false, NULL},
    {3, "port", F_INTP, false, NULL},    {4, "targetPort", F_INT_OR_STRING, false, NULL},
    {5, "nodePort", F_INT, false, NULL}, {0}};
static const pb_msg SERVICE_PORT = {SERVICE_PORT_F, true};
static const pb_field SERVICE_SPEC_F[] = {
    {1, "ports", F_MSG, true, &SERVICE_PORT}, {2, "selector", F_MAP_STR, false, NULL},
    {3, "clusterIP", F_STR, false, NULL},     {4, "type", F_STR, false, NULL},
    {5, "externalIPs", F_STR, true, NULL},    {7, "sessionAffinity", F_STR, false, NULL},
    {10, "externalName", F_STR, false, NULL}, {0}};
static const pb_msg SERVICE_SPEC = {SERVICE_SPEC_F, true};
static const pb_field SERVICE_F[] = {
    {1, "metadata", F_MSG, false, &OBJECT_META}, {2, "spec", F_MSG, false, &SERVICE_SPEC},
    {3, "status", F_MSG, false, &EMPTY_STRICT}, {0}};

/* batch/v1 Job and CronJob, as `kubectl create job` / `create cronjob` fill
 * them (partial, strict: no podFailurePolicy, successPolicy). */
static const pb_field JOB_SPEC_F[] = {
    {1, "parallelism", F_INTP, false, NULL},
    {2, "completions", F_INTP, false, NULL},
    {3, "activeDeadlineSeconds", F_INTP, false, NULL},
    {4, "selector", F_MSG, false, &SELECTOR},
    {5, "manualSelector", F_BOOLP, false, NULL},
    {6, "template", F_MSG, false, &POD_TEMPLATE},
    {7, "backoffLimit", F_INTP, false, NULL},
    {8, "ttlSecondsAfterFinished", F_INTP, false, NULL},
    {9, "completionMode", F_STR, false, NULL},
    {10, "suspend", F_BOOLP, false, NULL},
    {12, "backoffLimitPerIndex", F_INTP, false, NULL},
    {13, "maxFailedIndexes", F_INTP, false, NULL},
    {14, "podReplacementPolicy", F_STR, false, NULL},
    {15, "managedBy", F_STR, false, NULL},
    {0}};
static const pb_msg JOB_SPEC = {JOB_SPEC_F, true};
static const pb_field JOB_F[] = {
    {1, "metadata", F_MSG, false, &OBJECT_META}, {2, "spec", F_MSG, false, &JOB_SPEC},
    {3, "status", F_MSG, false, &EMPTY_STRICT}, {0}};
static const pb_field JOB_TEMPLATE_F[] = {
    {1, "metadata", F_MSG, false, &OBJECT_META}, {2, "spec", F_MSG, false, &JOB_SPEC}, {0}};
static const pb_msg JOB_TEMPLATE = {JOB_TEMPLATE_F, true};
static const pb_field CRONJOB_SPEC_F[] = {
    {1, "schedule", F_STR, false, NULL},
    {2, "startingDeadlineSeconds", F_INTP, false, NULL},
    {3, "concurrencyPolicy", F_STR, false, NULL},
    {4, "suspend", F_BOOLP, false, NULL},
    {5, "jobTemplate", F_MSG, false, &JOB_TEMPLATE},
    {6, "successfulJobsHistoryLimit", F_INTP, false, NULL},
    {7, "failedJobsHistoryLimit", F_INTP, false, NULL},
    {8, "timeZone", F_STR, false, NULL},
    {0}};
static const pb_msg CRONJOB_SPEC = {CRONJOB_SPEC_F, true};
static const pb_field CRONJOB_F[] = {
    {1, "metadata", F_MSG, false, &OBJECT_META}, {2, "spec", F_MSG, false, &CRONJOB_SPEC},
    {3, "status", F_MSG, false, &EMPTY_STRICT}, {0}};

/* core/v1 ResourceQuota (`kubectl create quota`). */
static const pb_field SCOPED_REQ_F[] = {
    {1, "scopeName", F_STR, false, NULL}, {2, "operator", F_STR, false, NULL},
    {3, "values", F_STR, true, NULL}, {0}};
static const pb_msg SCOPED_REQ = {SCOPED_REQ_F, true};
static const pb_field SCOPE_SELECTOR_F[] = {
    {1, "matchExpressions", F_MSG, true, &SCOPED_REQ}, {0}};
static const pb_msg SCOPE_SELECTOR = {SCOPE_SELECTOR_F, true};
static const pb_field QUOTA_SPEC_F[] = {
    {1, "hard", F_QUANTITY_MAP, false, NULL}, {2, "scopes", F_STR, true, NULL},
    {3, "scopeSelector", F_MSG, false, &SCOPE_SELECTOR}, {0}};
static const pb_msg QUOTA_SPEC = {QUOTA_SPEC_F, true};
static const pb_field QUOTA_F[] = {
    {1, "metadata", F_MSG, false, &OBJECT_META}, {2, "spec", F_MSG, false, &QUOTA_SPEC},
    {3, "status", F_MSG, false, &EMPTY_STRICT}, {0}};

/* networking/v1 Ingress (`kubectl create ingress`; no resource backends).
 * IngressRuleValue is inlined into its rule in JSON. */
static const pb_field BACKEND_PORT_F[] = {
    {1, "name", F_STR, false, NULL}, {2, "number", F_INT, false, NULL}, {0}};
static const pb_msg BACKEND_PORT = {BACKEND_PORT_F, true};
static const pb_field SERVICE_BACKEND_F[] = {
    {1, "name", F_STR, false, NULL}, {2, "port", F_MSG, false, &BACKEND_PORT}, {0}};
static const pb_msg SERVICE_BACKEND = {SERVICE_BACKEND_F, true};
static const pb_field INGRESS_BACKEND_F[] = {
    {4, "service", F_MSG, false, &SERVICE_BACKEND}, {0}};
static const pb_msg INGRESS_BACKEND = {INGRESS_BACKEND_F, true};
static const pb_field HTTP_PATH_F[] = {
    {1, "path", F_STR, false, NULL}, {2, "backend", F_MSG, false, &INGRESS_BACKEND},
    {3, "pathType", F_STR, false, NULL}, {0}};
static const pb_msg HTTP_PATH = {HTTP_PATH_F, true};
static const pb_field HTTP_RULE_F[] = {{1, "paths", F_MSG, true, &HTTP_PATH}, {0}};
static const pb_msg HTTP_RULE = {HTTP_RULE_F, true};
static const pb_field RULE_VALUE_F[] = {{1, "http", F_MSG, false, &HTTP_RULE}, {0}};
static const pb_msg RULE_VALUE = {RULE_VALUE_F, true};
static const pb_field INGRESS_RULE_F[] = {
    {1, "host", F_STR, false, NULL}, {2, "", F_INLINE, false, &RULE_VALUE}, {0}};
static const pb_msg INGRESS_RULE = {INGRESS_RULE_F, true};
static const pb_field INGRESS_TLS_F[] = {
    {1, "hosts", F_STR, true, NULL}, {2, "secretName", F_STR, false, NULL}, {0}};
static const pb_msg INGRESS_TLS = {INGRESS_TLS_F, true};
static const pb_field INGRESS_SPEC_F[] = {
    {1, "defaultBackend", F_MSG, false, &INGRESS_BACKEND},
    {2, "tls", F_MSG, true, &INGRESS_TLS},
    {3, "rules", F_MSG, true, &INGRESS_RULE},
    {4, "ingressClassName", F_STR, false, NULL},
    {0}};
static const pb_msg INGRESS_SPEC = {INGRESS_SPEC_F, true};
static const pb_field INGRESS_F[] = {
    {1, "metadata", F_MSG, false, &OBJECT_META}, {2, "spec", F_MSG, false, &INGRESS_SPEC},
    {3, "status", F_MSG, false, &EMPTY_STRICT}, {0}};

/* policy/v1 PodDisruptionBudget (`kubectl create poddisruptionbudget`). */
static const pb_field PDB_SPEC_F[] = {
    {1, "minAvailable", F_INT_OR_STRING, false, NULL},
    {2, "selector", F_MSG, false, &SELECTOR},
    {3, "maxUnavailable", F_INT_OR_STRING, false, NULL},
    {4, "unhealthyPodEvictionPolicy", F_STR, false, NULL},
    {0}};
static const pb_msg PDB_SPEC = {PDB_SPEC_F, true};
static const pb_field PDB_F[] = {
    {1, "metadata", F_MSG, false, &OBJECT_META}, {2, "spec", F_MSG, false, &PDB_SPEC},
    {3, "status", F_MSG, false, &EMPTY_STRICT}, {0}};

/* authentication/v1 TokenRequest (`kubectl create token`). */
static const pb_field BOUND_REF_F[] = {
    {1, "kind", F_STR, false, NULL}, {2, "apiVersion", F_STR, false, NULL},
    {3, "name", F_STR, false, NULL}, {4, "uid", F_STR, false, NULL}, {0}};
static const pb_msg BOUND_REF = {BOUND_REF_F, true};
static const pb_field TOKEN_SPEC_F[] = {
    {1, "audiences", F_STR, true, NULL}, {3, "boundObjectRef", F_MSG, false, &BOUND_REF},
    {4, "expirationSeconds", F_INTP, false, NULL}, {0}};
static const pb_msg TOKEN_SPEC = {TOKEN_SPEC_F, true};
static const pb_field TOKEN_STATUS_F[] = {
    {1, "token", F_STR, false, NULL}, {2, "expirationTimestamp", F_TIME, false, NULL}, {0}};
static const pb_msg TOKEN_STATUS = {TOKEN_STATUS_F, true};
static const pb_field TOKEN_REQUEST_F[] = {
    {1, "metadata", F_MSG, false, &OBJECT_META}, {2, "spec", F_MSG, false, &TOKEN_SPEC},
    {3, "status", F_MSG, false, &TOKEN_STATUS}, {0}};

/* Access reviews (kubectl auth can-i / whoami). */
static const pb_field RES_ATTR_F[] = {
    {1, "namespace", F_STR, false, NULL}, {2, "verb", F_STR, false, NULL},
    {3, "group", F_STR, false, NULL},     {4, "version", F_STR, false, NULL},
    {5, "resource", F_STR, false, NULL},  {6, "subresource", F_STR, false, NULL},
    {7, "name", F_STR, false, NULL},      {0}};
static const pb_msg RES_ATTR = {RES_ATTR_F, false};
static const pb_field NONRES_ATTR_F[] = {
    {1, "path", F_STR, false, NULL}, {2, "verb", F_STR, false, NULL}, {0}};
static const pb_msg NONRES_ATTR = {NONRES_ATTR_F, false};
static const pb_field SSAR_SPEC_F[] = {
    {1, "resourceAttributes", F_MSG, false, &RES_ATTR},
    {2, "nonResourceAttributes", F_MSG, false, &NONRES_ATTR}, {0}};
static const pb_msg SSAR_SPEC = {SSAR_SPEC_F, false};
static const pb_field SSAR_F[] = {
    {1, "metadata", F_MSG, false, &OBJECT_META}, {2, "spec", F_MSG, false, &SSAR_SPEC}, {0}};
static const pb_field SSR_F[] = {{1, "metadata", F_MSG, false, &OBJECT_META}, {0}};

const pb_type PB_TYPES[] = {
    {"v1", "Namespace", {NAMESPACE_F}},
    {"v1", "ConfigMap", {CONFIGMAP_F}},
    {"v1", "Secret", {SECRET_F}},
    {"v1", "ServiceAccount", {SERVICE_ACCOUNT_F}},
    {"rbac.authorization.k8s.io/v1", "Role", {ROLE_F}},
    {"rbac.authorization.k8s.io/v1", "ClusterRole", {CLUSTER_ROLE_F}},
    {"rbac.authorization.k8s.io/v1", "RoleBinding", {BINDING_F}},
    {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding", {BINDING_F}},
    {"scheduling.k8s.io/v1", "PriorityClass", {PRIORITY_CLASS_F}},
    {"apps/v1", "Deployment", {DEPLOYMENT_F, true}},
    {"v1", "Pod", {POD_F, true}},
    {"v1", "Service", {SERVICE_F, true}},
    {"batch/v1", "Job", {JOB_F, true}},
    {"batch/v1", "CronJob", {CRONJOB_F, true}},
    {"v1", "ResourceQuota", {QUOTA_F, true}},
    {"networking.k8s.io/v1", "Ingress", {INGRESS_F, true}},
    {"policy/v1", "PodDisruptionBudget", {PDB_F, true}},
    {"authentication.k8s.io/v1", "TokenRequest", {TOKEN_REQUEST_F, true}},
    {"authorization.k8s.io/v1", "SelfSubjectAccessReview", {SSAR_F}},
    {"authentication.k8s.io/v1", "SelfSubjectReview", {SSR_F}},
};
const size_t PB_NTYPES = sizeof PB_TYPES / sizeof PB_TYPES[0];
