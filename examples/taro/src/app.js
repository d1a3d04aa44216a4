import './app.css'

function App({ children }) {
  // children 是将要渲染的页面
  return children
}

export default App
