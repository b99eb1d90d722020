import type { ClientErrorCode } from '../client/index.ts';

const TITLES: Partial<Record<ClientErrorCode, string>> = {
  'not-a-directory': 'That path is not a folder',
  'not-a-full-path': 'Not a full path',
  'not-found': 'Not found',
  'bad-request': 'Cannot do that',
  'already-exists': 'Already exists',
  internal: 'Something went wrong inside FER Studio',
  busy: 'Another import or job is running',
  cancelled: 'Cancelled',
  unsupported: 'Not supported here',
  disconnected: 'Lost the connection to FER Studio',
  'not-a-catalogue': 'Not a FER Studio catalogue',
  'catalogue-too-new': 'The catalogue was made by a newer FER Studio',
  'training-failed': 'Training failed',
  'not-a-project': 'Not a FER Studio project',
  forbidden: 'Not allowed here',
  'read-only': 'Cannot write there',
};

export function ErrorMessage(props: { code: ClientErrorCode; message: string; testId?: string }) {
  return (
    <div
      className="error-box"
      role="alert"
      data-testid={props.testId ?? 'error'}
      data-code={props.code}
    >
      <strong>{TITLES[props.code] ?? 'Something went wrong'}</strong>
      <p>{props.message}</p>
    </div>
  );
}
