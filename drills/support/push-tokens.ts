/**
 * Device tokens for drill floods, one per index so two floods never share a device: FCM
 * registration tokens (`<installation id>:APA91b...`, URL-safe base64) and APNs device tokens (32
 * bytes in hex). herald tells the provider from the shape, as it does for any token.
 */
export function fcmTokens(n: number, offset: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const id = String(offset + i).padStart(11, '0');
    return `drill${id}:APA91b${'x'.repeat(8)}${id}${'_drill-token'.repeat(9)}`;
  });
}

export function apnsTokens(n: number, offset: number): string[] {
  return Array.from({ length: n }, (_, i) => (offset + i).toString(16).padStart(64, 'a'));
}
