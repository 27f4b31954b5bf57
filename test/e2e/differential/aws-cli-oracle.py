# The AWS CLI's answer for many profiles from one process. Starting `aws` costs about a second per run (it loads
# every service model), so this uses the botocore session the installed `aws` (CLI v1) is built on, with the same
# credential provider chain and config reading as `aws --profile P sts get-caller-identity`, one fresh session per
# profile. Reads one JSON job per line on stdin: {"id", "profile", "env": {...}} (env: the complete AWS_*
# environment of that run) or {"id", "env", "credentials": true} for the credentials a `vault exec` child got.
# Writes one JSON answer per line: {"id", "arn"} or {"id", "error"}, plus "region" (what the CLI would use).
import json
import os
import sys

import botocore.session

loader = None


def session(profile):
    global loader
    s = botocore.session.Session(profile=profile)
    # Loading the service models is the slow part; they are the same for every session.
    if loader is None:
        loader = s.get_component('data_loader')
    else:
        s.register_component('data_loader', loader)
    return s


def answer(job):
    for key in [k for k in os.environ if k.startswith('AWS_')]:
        del os.environ[key]
    os.environ.update(job['env'])
    result = {'id': job['id']}
    try:
        s = session(job.get('profile'))
        region = s.get_config_variable('region')
        result['region'] = region or None
        # Without a region the CLI refuses to call STS; the region is compared on its own, so use any here.
        sts = s.create_client('sts', region_name=region or 'us-east-1')
        result['arn'] = sts.get_caller_identity()['Arn']
    except Exception as err:  # every failure is an answer: the test compares failure with failure
        result['error'] = '%s: %s' % (type(err).__name__, str(err)[:300])
    return result


for line in sys.stdin:
    if line.strip():
        print(json.dumps(answer(json.loads(line))), flush=True)
