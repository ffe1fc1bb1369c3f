/** The business profile API: one function per endpoint. */
import { api } from '../../../lib/apiClient.js';

const base = '/api/account/profile/';

export const getProfile = () => api.get(base);
export const updateProfile = (data) => api.patch(base, data);
/** file: a File from an <input type="file">; sent as multipart (field `logo`). */
export const uploadLogo = (file) => {
  const form = new FormData();
  form.append('logo', file);
  return api.post(`${base}logo/`, form);
};
export const removeLogo = () => api.delete(`${base}logo/`);
