// SageMaker AI (connect-sagemaker.html): CreateEndpoint, CreateEndpointConfig, CreateModel, UpdateEndpoint
// (request-response) and the jobs CreateTrainingJob, CreateTransformJob, CreateProcessingJob,
// CreateHyperParameterTuningJob, CreateLabelingJob (request-response, `.sync`). `.sync` polls the job's
// Describe call until Completed (the task's result is the description), or Failed/Stopped (States.TaskFailed
// with the description as cause); a cancelled task calls the job's Stop action, as the IAM policies Step
// Functions generates for `.sync` allow (Describe*, Stop*).
import type { OptimizedApi } from "./types.ts";
import { statusBy, text } from "./types.ts";

function job(kind: string, statusMember: string): OptimizedApi {
  const name = `${kind}Name`;
  return {
    patterns: ["", "sync"],
    sync: {
      handle: (_output, parameters) => {
        const value = text(parameters[name]);
        return value === undefined ? undefined : { name: value };
      },
      describe: (handle) => ({ action: `describe${kind}`, parameters: { [name]: handle["name"] ?? "" } }),
      status: statusBy({ job: [], status: [statusMember], succeeded: ["Completed"], failed: ["Failed", "Stopped"] }),
      stop: (handle) => ({ action: `stop${kind}`, parameters: { [name]: handle["name"] ?? "" } }),
    },
  };
}

const call: OptimizedApi = { patterns: [""] };

export const SAGEMAKER: Record<string, OptimizedApi> = {
  "sagemaker:createTrainingJob": job("TrainingJob", "TrainingJobStatus"),
  "sagemaker:createTransformJob": job("TransformJob", "TransformJobStatus"),
  "sagemaker:createProcessingJob": job("ProcessingJob", "ProcessingJobStatus"),
  "sagemaker:createHyperParameterTuningJob": job("HyperParameterTuningJob", "HyperParameterTuningJobStatus"),
  "sagemaker:createLabelingJob": job("LabelingJob", "LabelingJobStatus"),
  "sagemaker:createEndpoint": call,
  "sagemaker:createEndpointConfig": call,
  "sagemaker:createModel": call,
  "sagemaker:updateEndpoint": call,
};
