#!/usr/bin/env node
// CDK app entry (`cdk.json` runs it with tsx): the StreamSync stack with cdk-nag AwsSolutions checks.
import { createApp } from '#lib/streamsync-app';

createApp().app.synth();
